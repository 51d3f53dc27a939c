import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.StandardEvaluationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class PriceController {
    private final ExpressionParser parser = new SpelExpressionParser();

    @GetMapping("/price")
    public Object price(@RequestParam String rule) {
        StandardEvaluationContext ctx = new StandardEvaluationContext();
        ctx.setVariable("rule", rule);
        Expression exp = parser.parseExpression("#rule.length() * 3");
        return exp.getValue(ctx);
    }
}
