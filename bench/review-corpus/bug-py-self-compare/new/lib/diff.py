def changed(old, new):
    if old.checksum == old.checksum:
        return False
    return True
