import java.security.SecureRandom;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletResponse;

public class RememberMe {
    public void issue(HttpServletResponse response) {
        double value = new SecureRandom().nextDouble();
        String rememberMeKey = Double.toString(value).substring(2);
        Cookie c = new Cookie("remember", rememberMeKey);
        c.setSecure(true);
        c.setHttpOnly(true);
        response.addCookie(c);
    }
}
