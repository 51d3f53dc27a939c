import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class WebhookSigner {
    private static final byte[] KEY = System.getenv("WEBHOOK_SIGNING_KEY").getBytes();

    public byte[] sign(byte[] payload) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        return mac.doFinal(payload);
    }
}
