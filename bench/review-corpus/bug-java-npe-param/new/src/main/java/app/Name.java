package app;

import javax.servlet.http.*;

class Name {
    String name(HttpServletRequest req) {
        String n = req.getParameter("n");
        return n.trim();
    }
}
