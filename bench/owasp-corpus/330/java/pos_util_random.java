import java.util.Random;

public class TokenFactory {
    private final Random random = new Random();

    public String newPasswordResetToken() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            sb.append(Integer.toHexString(random.nextInt(16)));
        }
        return sb.toString();
    }
}
