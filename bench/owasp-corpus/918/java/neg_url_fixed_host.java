import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class FetchServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String target = request.getParameter("url");
        String q = URLEncoder.encode(target, StandardCharsets.UTF_8);
        URL url = new URL("https://search.internal.example/api?q=" + q);
        try (InputStream in = url.openStream()) {
            in.transferTo(response.getOutputStream());
        }
    }
}
