package app;

import javax.servlet.http.*;
import java.io.ObjectInputStream;

public class Import extends HttpServlet {
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        ObjectInputStream in = new ObjectInputStream(req.getInputStream());
        Object o = in.readObject();
        resp.getWriter().print(o);
    }
}
