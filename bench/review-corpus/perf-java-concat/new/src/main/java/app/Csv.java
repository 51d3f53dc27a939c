package app;

class Csv {
    String render(java.util.List<String> rows) {
        String out = "";
        for (String r : rows) {
            out += r + "\n";
        }
        return out;
    }
}
