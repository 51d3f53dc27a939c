import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletResponse;

public class CookieHelper {
    private static final boolean FLAG = "on".equals("on");

    public static void remember(HttpServletResponse response, String token) {
        Cookie c = new Cookie("remember_me", token);
        c.setHttpOnly(FLAG);
        c.setSecure(true);
        c.setMaxAge(86400 * 30);
        response.addCookie(c);
    }
}
