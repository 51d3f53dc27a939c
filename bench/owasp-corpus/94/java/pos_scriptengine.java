import java.io.IOException;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class FormulaServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String formula = request.getParameter("formula");
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");
        try {
            Object value = engine.eval(formula);
            response.getWriter().println(value);
        } catch (ScriptException e) {
            response.sendError(400);
        }
    }
}
