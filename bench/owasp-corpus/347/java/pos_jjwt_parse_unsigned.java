import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;

public class ClaimsReader {
    public Claims read(String token) {
        return Jwts.parser().parseClaimsJwt(token).getBody();
    }
}
