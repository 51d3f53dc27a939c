import java.io.IOException;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class ProfileServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String user = request.getParameter("user");
        request.getSession().setAttribute("userNameLength", Integer.valueOf(user.length()));
        request.getSession().setAttribute("userName", "anonymous");
        response.sendRedirect("/home");
    }
}
