import re


def major(tag):
    m = re.match(r'v(\d+)', tag)
    return int(m.group(1))
