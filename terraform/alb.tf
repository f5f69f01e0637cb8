locals {
  listener_ports = var.certificate_arn == null ? [80] : [80, 443]

  # Weighted forward: all to the gateway, or split with the legacy HTTP services (cutover).
  forward_target_groups = var.legacy_target_group_arn == null ? [
    { arn = aws_lb_target_group.this.arn, weight = 100 }
    ] : [
    { arn = aws_lb_target_group.this.arn, weight = var.gateway_traffic_weight },
    { arn = var.legacy_target_group_arn, weight = 100 - var.gateway_traffic_weight }
  ]

  serving_listener_arn = var.certificate_arn == null ? aws_lb_listener.http.arn : aws_lb_listener.https[0].arn
}

# ---- security groups ---------------------------------------------------------------

resource "aws_security_group" "alb" {
  name_prefix = "${var.name}-alb-"
  description = "ALB of ${var.name}"
  vpc_id      = var.vpc_id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "alb" {
  for_each = {
    for pair in setproduct(var.alb_ingress_cidr_blocks, local.listener_ports) : "${pair[0]}:${pair[1]}" => {
      cidr = pair[0]
      port = pair[1]
    }
  }

  security_group_id = aws_security_group.alb.id
  description       = "Clients to the ALB listener on ${each.value.port}"
  cidr_ipv4         = each.value.cidr
  from_port         = each.value.port
  to_port           = each.value.port
  ip_protocol       = "tcp"
}

resource "aws_vpc_security_group_egress_rule" "alb_to_tasks" {
  security_group_id            = aws_security_group.alb.id
  description                  = "ALB to the gateway tasks"
  referenced_security_group_id = aws_security_group.tasks.id
  from_port                    = var.container_port
  to_port                      = var.container_port
  ip_protocol                  = "tcp"
}

resource "aws_security_group" "tasks" {
  name_prefix = "${var.name}-tasks-"
  description = "Gateway tasks of ${var.name}"
  vpc_id      = var.vpc_id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "tasks_from_alb" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "ALB to the gateway port"
  referenced_security_group_id = aws_security_group.alb.id
  from_port                    = var.container_port
  to_port                      = var.container_port
  ip_protocol                  = "tcp"
}

resource "aws_vpc_security_group_egress_rule" "tasks_all" {
  security_group_id = aws_security_group.tasks.id
  description       = "NATS, ECR, CloudWatch Logs and Secrets Manager"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

# ---- load balancer -----------------------------------------------------------------

resource "aws_lb" "this" {
  name                       = var.name
  internal                   = var.alb_internal
  load_balancer_type         = "application"
  security_groups            = [aws_security_group.alb.id]
  subnets                    = var.alb_subnet_ids
  drop_invalid_header_fields = true

  # SSE streams send a keep-alive comment every 15 s; the idle timeout must be longer.
  idle_timeout = var.alb_idle_timeout_seconds
}

resource "aws_lb_target_group" "this" {
  name        = "${var.name}-tg"
  port        = var.container_port
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id

  # ECS waits this long after deregistering a task before sending SIGTERM: in-flight
  # requests and streams get the same time the gateway itself allows on shutdown.
  deregistration_delay = var.shutdown_grace_seconds

  health_check {
    enabled             = true
    path                = "/health"
    port                = "traffic-port"
    protocol            = "HTTP"
    matcher             = "200"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  dynamic "default_action" {
    for_each = var.certificate_arn == null ? [] : [1]
    content {
      type = "redirect"
      redirect {
        port        = "443"
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    }
  }

  dynamic "default_action" {
    for_each = var.certificate_arn == null ? [1] : []
    content {
      type = "forward"
      forward {
        dynamic "target_group" {
          for_each = local.forward_target_groups
          content {
            arn    = target_group.value.arn
            weight = target_group.value.weight
          }
        }
      }
    }
  }
}

resource "aws_lb_listener" "https" {
  count             = var.certificate_arn == null ? 0 : 1
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type = "forward"
    forward {
      dynamic "target_group" {
        for_each = local.forward_target_groups
        content {
          arn    = target_group.value.arn
          weight = target_group.value.weight
        }
      }
    }
  }
}

# Shadow / smoke-test traffic reaches the gateway whatever the weights are.
resource "aws_lb_listener_rule" "shadow" {
  listener_arn = local.serving_listener_arn
  priority     = 10

  condition {
    http_header {
      http_header_name = var.shadow_header_name
      values           = ["1"]
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }
}
