import com.auth0.jwt.JWT;
import com.auth0.jwt.interfaces.DecodedJWT;
import javax.servlet.http.HttpServletRequest;

public class TokenFilter {
    public String currentUser(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        String token = header.substring("Bearer ".length());
        DecodedJWT jwt = JWT.decode(token);
        return jwt.getSubject();
    }
}
