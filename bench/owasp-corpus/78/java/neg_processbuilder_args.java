import java.io.IOException;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class DiagnosticsServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String host = request.getParameter("host");
        ProcessBuilder pb = new ProcessBuilder("traceroute", "--", host);
        Process p = pb.start();
        p.getInputStream().transferTo(response.getOutputStream());
    }
}
