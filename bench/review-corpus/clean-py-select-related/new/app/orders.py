def names():
    return [o.customer.name for o in Order.objects.select_related('customer').all()]
