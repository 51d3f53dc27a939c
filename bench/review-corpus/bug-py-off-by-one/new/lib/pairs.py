def neighbours(xs):
    out = []
    for i in range(len(xs) + 1):
        out.append(xs[i])
    return out
