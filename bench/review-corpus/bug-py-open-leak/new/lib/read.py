def header(path):
    f = open(path)
    line = f.readline()
    f.close()
    return line
