import java.io.IOException;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class CleanupServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String param = request.getParameter("dir");
        int num = 106;
        String bar = (7 * 42) - num > 200 ? "tmp" : param;
        bar = (7 * 42) - num > 200 ? param : "cache";
        Runtime.getRuntime().exec("sh -c rm -rf /var/app/" + bar);
        response.getWriter().println("done");
    }
}
