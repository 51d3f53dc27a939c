import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

@RestController
public class BookController {
    private Document books;

    private String byAuthor(String author) {
        return "//book[author='" + author + "']/title";
    }

    @GetMapping("/books")
    public int books(@RequestParam String author) throws Exception {
        XPath xp = XPathFactory.newInstance().newXPath();
        NodeList nodes = (NodeList) xp.compile(byAuthor(author)).evaluate(books, XPathConstants.NODESET);
        return nodes.getLength();
    }
}
