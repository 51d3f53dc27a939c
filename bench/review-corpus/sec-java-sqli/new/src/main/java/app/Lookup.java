package app;

import java.sql.*;
import javax.servlet.http.*;

public class Lookup extends HttpServlet {
    Connection conn;
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        Statement st = conn.createStatement();
        st.executeQuery("SELECT * FROM acct WHERE id = '" + req.getParameter("id") + "'");
    }
}
