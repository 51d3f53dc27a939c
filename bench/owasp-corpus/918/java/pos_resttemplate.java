import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

@RestController
public class ImageController {
    private final RestTemplate rest = new RestTemplate();

    @GetMapping("/image")
    public byte[] image(@RequestParam("src") String src) {
        return rest.getForObject(src, byte[].class);
    }
}
