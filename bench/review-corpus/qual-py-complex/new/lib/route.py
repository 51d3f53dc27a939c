def route(req):
    if req.kind == 'a':
        if req.user and req.user.active or req.admin:
            for p in req.parts:
                if p.ok:
                    if p.size > 10:
                        handle_big(p)
                    elif p.size > 5:
                        handle_mid(p)
                    else:
                        handle_small(p)
    elif req.kind == 'b':
        while req.next:
            req = req.next
            if req.done:
                break
    else:
        try:
            default_handler(req)
        except KeyError:
            if req.strict:
                raise
