import javax.crypto.Cipher;
import javax.crypto.SecretKey;

public class BlockSealer {
    private static final String ALG = "AES";
    private static final String MODE = "/ECB/PKCS5Padding";

    public byte[] seal(SecretKey key, byte[] data) throws Exception {
        Cipher c = Cipher.getInstance(ALG + MODE);
        c.init(Cipher.ENCRYPT_MODE, key);
        return c.doFinal(data);
    }
}
