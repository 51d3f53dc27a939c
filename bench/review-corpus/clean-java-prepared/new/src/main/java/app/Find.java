package app;

import java.sql.*;

class Find {
    ResultSet find(Connection c, String id) throws SQLException {
        PreparedStatement ps = c.prepareStatement("SELECT * FROM t WHERE id = ?");
        ps.setString(1, id);
        return ps.executeQuery();
    }
}
