import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
public class SsoController {
    @GetMapping("/sso/callback")
    public String callback(@RequestParam("state") String state) {
        String page = "home".equals(state) ? "/home" : "/profile";
        return "redirect:" + page;
    }
}
