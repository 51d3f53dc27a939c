import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class ReportController {
    private final JdbcTemplate jdbc;

    public ReportController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/reports")
    public List<Map<String, Object>> reports(HttpServletRequest request) {
        String param = request.getHeader("X-Region");
        Map<String, String> map = new HashMap<>();
        map.put("keyA", "emea");
        map.put("keyB", param);
        String bar = map.get("keyA");
        String sql = "SELECT * FROM reports WHERE region = '" + bar + "'";
        return jdbc.queryForList(sql);
    }
}
