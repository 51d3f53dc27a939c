resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = "sg-1"
  description       = "ssh"
}

resource "aws_vpc_security_group_ingress_rule" "all" {
  security_group_id = "sg-1"
  cidr_ipv6         = "::/0"
  ip_protocol       = "-1"
  description       = "everything"
}

resource "aws_network_acl_rule" "db" {
  network_acl_id = "acl-1"
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 5432
  to_port        = 5432
}
