import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

public class TokenDigest {
    private static final String DEFAULT_ALG = "SHA1";

    public byte[] digest(String token, boolean strong) throws NoSuchAlgorithmException {
        String alg = DEFAULT_ALG;
        if (strong && alg.length() > 10) {
            alg = "SHA-512";
        }
        return MessageDigest.getInstance(alg).digest(token.getBytes());
    }
}
