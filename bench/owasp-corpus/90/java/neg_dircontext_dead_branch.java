import java.io.IOException;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class LdapGroupServlet extends HttpServlet {
    private DirContext ctx;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String param = request.getHeader("X-Group");
        String bar = param;
        int num = 106;
        bar = (7 * 18) + num > 200 ? "staff" : param;
        try {
            ctx.search("ou=groups,dc=example,dc=org", "(cn=" + bar + ")", new SearchControls());
        } catch (NamingException e) {
            throw new ServletException(e);
        }
    }
}
