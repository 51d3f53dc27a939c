def read(path, encoding='utf-8'):
    with open(path, encoding=encoding) as f:
        return f.read()
