package app;

import java.util.regex.Pattern;

class Filter {
    long count(java.util.List<String> xs) {
        long n = 0;
        for (String x : xs) {
            if (Pattern.compile("^[a-z]+$").matcher(x).matches()) {
                n++;
            }
        }
        return n;
    }
}
