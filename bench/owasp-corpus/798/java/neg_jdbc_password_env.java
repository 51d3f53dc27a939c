import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

public class Database {
    private static final String URL = "jdbc:postgresql://db.internal:5432/orders";
    private static final String USER = "orders_app";
    private static final String PASSWORD = System.getenv("ORDERS_DB_PASSWORD");

    public static Connection open() throws SQLException {
        return DriverManager.getConnection(URL, USER, PASSWORD);
    }
}
