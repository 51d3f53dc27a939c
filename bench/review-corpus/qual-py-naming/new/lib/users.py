def load_user(uid):
    return db.get(uid)


def save_user(u):
    db.put(u)


def delete_user(uid):
    db.delete(uid)


def renameUser(uid, name):
    db.update(uid, name=name)
