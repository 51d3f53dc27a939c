locals {
  escaped   = "quote \" backslash \\ tab \t unicode \u00e9 dollar $${literal} percent %%{literal}"
  unicode   = "çà et là — ✓"
  templated = <<-EOT
    %{for name in var.names~}
    ${name}: ${upper(name)}
    %{endfor~}
  EOT
  keys = {
    "quoted key"   = 1
    (var.computed) = 2
    bare           = 3
    "with.dots"    = 4
  }
  nested = try(jsondecode(file("${path.module}/x.json")).a.b, null)
  cond   = var.x == null ? "none" : var.x > 3 ? "big" : "small"
  math   = (1 + 2) * 3 % 2 - -1
  logic  = !true || false && (1 < 2)
}
