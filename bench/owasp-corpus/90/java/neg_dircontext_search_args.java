import java.io.IOException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class LdapLookupServlet extends HttpServlet {
    private DirContext ctx;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String name = request.getParameter("name");
        String filter = "(&(objectclass=person)(cn={0}))";
        try {
            NamingEnumeration<SearchResult> results =
                    ctx.search("ou=users,dc=example,dc=org", filter, new Object[] {name}, new SearchControls());
            response.getWriter().println(results.hasMore());
        } catch (NamingException e) {
            throw new ServletException(e);
        }
    }
}
