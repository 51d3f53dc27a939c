def add_tags(item, tags=[]):
    tags.append(item)
    return tags
