import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.yaml.snakeyaml.Yaml;

@RestController
public class ImportController {
    @PostMapping("/import")
    public String importDoc(@RequestBody String body) {
        Yaml yaml = new Yaml();
        Object doc = yaml.load(body);
        return doc.getClass().getName();
    }
}
