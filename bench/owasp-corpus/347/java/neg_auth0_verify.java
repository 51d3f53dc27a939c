import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import javax.servlet.http.HttpServletRequest;

public class TokenFilter {
    private final Algorithm algorithm = Algorithm.HMAC256(System.getenv("JWT_SECRET"));

    public String currentUser(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        String token = header.substring("Bearer ".length());
        DecodedJWT jwt = JWT.require(algorithm).withIssuer("auth.example").build().verify(token);
        return jwt.getSubject();
    }
}
