def total(xs):
    s = sum(xs)
    return s
    log(s)
