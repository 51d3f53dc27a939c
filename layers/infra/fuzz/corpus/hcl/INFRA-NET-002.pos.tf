resource "aws_security_group" "app" {
  name = "app"
  ingress {
    description = "app port"
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
