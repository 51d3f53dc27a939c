import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class LedgerServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String param = request.getParameter("entry");
        String bar;
        String guess = "ABC";
        char switchTarget = guess.charAt(1);
        switch (switchTarget) {
            case 'A':
                bar = param;
                break;
            case 'B':
                bar = "bob";
                break;
            default:
                bar = param;
                break;
        }
        String sql = "DELETE FROM ledger WHERE label = '" + bar + "'";
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:ledger")) {
            c.createStatement().executeUpdate(sql);
        } catch (SQLException e) {
            throw new ServletException(e);
        }
    }
}
