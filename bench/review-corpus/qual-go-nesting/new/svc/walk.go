package svc

func Walk(ns []Node) {
	for _, n := range ns {
		if n.OK {
			for _, c := range n.Kids {
				if c.OK {
					for c.Next != nil {
						visit(c)
						c = *c.Next
					}
				}
			}
		}
	}
}
