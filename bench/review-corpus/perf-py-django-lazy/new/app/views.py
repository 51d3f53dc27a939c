def names():
    out = []
    for o in Order.objects.all():
        out.append(o.customer.name)
    return out
