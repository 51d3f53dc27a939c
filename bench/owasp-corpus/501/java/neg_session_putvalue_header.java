import java.io.IOException;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class TenantServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String param = request.getHeader("X-Tenant");
        String bar = "default";
        if ((7 * 18) + 106 < 200) {
            bar = param;
        }
        request.getSession().putValue("tenant", bar);
        response.getWriter().println("ok");
    }
}
