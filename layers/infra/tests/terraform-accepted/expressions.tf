locals {
  tags = {
    Name = "a"
    Name = "b"
  }
  m      = { for k, v in var.x : k => v... }
  s      = "${var.a}-%{if var.b}x%{endif}"
  t      = <<EOT
  hi ${var.a}
EOT
  splat  = aws_instance.web[*].id
  legacy = aws_instance.web.*.id
  u      = -1
  idx    = var.list[0]["key"]
  objs   = [for o in var.l : o if o != null]
}

resource "aws_security_group" "x" {
  dynamic "ingress" {
    for_each = var.ports
    iterator = p
    content {
      from_port = p.value
      to_port   = p.value
      protocol  = "tcp"
    }
  }
}
