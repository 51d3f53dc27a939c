import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletResponse;

public class CookieHelper {
    private static final boolean FLAG = "on".equals("off");

    public static void remember(HttpServletResponse response, String token) {
        Cookie c = new Cookie("remember_me", token);
        c.setSecure(FLAG);
        c.setHttpOnly(true);
        c.setMaxAge(86400 * 30);
        response.addCookie(c);
    }
}
