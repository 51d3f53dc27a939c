package app;

class Join {
    String join(java.util.List<String> xs) {
        StringBuilder sb = new StringBuilder();
        for (String x : xs) {
            sb.append(x).append(',');
        }
        return sb.toString();
    }
}
