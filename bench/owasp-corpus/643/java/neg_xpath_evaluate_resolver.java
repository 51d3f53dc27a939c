import java.io.IOException;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.namespace.QName;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;

public class EmployeeServlet extends HttpServlet {
    private Document employees;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String id = request.getParameter("id");
        XPath xp = XPathFactory.newInstance().newXPath();
        xp.setXPathVariableResolver((QName v) -> "id".equals(v.getLocalPart()) ? id : null);
        try {
            String salary = xp.evaluate("/employees/employee[@id=$id]/salary", employees);
            response.getWriter().println(salary);
        } catch (XPathExpressionException e) {
            response.sendError(400);
        }
    }
}
