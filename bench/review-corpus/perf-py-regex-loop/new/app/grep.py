import re


def grep(lines, word):
    out = []
    for l in lines:
        if re.compile(re.escape(word)).search(l):
            out.append(l)
    return out
