package app;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.*;

@RestController
public class AdminController {
    @DeleteMapping("/users/{id}")
    public void delete(@PathVariable long id) {
        users.delete(id);
    }
}
