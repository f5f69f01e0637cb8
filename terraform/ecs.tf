data "aws_ecs_cluster" "this" {
  cluster_name = var.ecs_cluster_name
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
}

locals {
  container_name = "gateway"
  image          = coalesce(var.image, "${aws_ecr_repository.this.repository_url}:${var.image_tag}")

  # ECS sends SIGTERM, waits stopTimeout, then SIGKILL. The gateway needs its grace to drain
  # plus time to close NATS and exit. (The ALB deregistration delay runs before SIGTERM.)
  stop_timeout_seconds = var.shutdown_grace_seconds + 15

  # Tracing (README, "Tracing"): each variable is passed only when set, so the gateway's and
  # the SDK's defaults apply; without an endpoint tracing is off.
  otel_environment = {
    OTEL_EXPORTER_OTLP_ENDPOINT = var.otel_exporter_otlp_endpoint
    OTEL_EXPORTER_OTLP_PROTOCOL = var.otel_exporter_otlp_protocol
    OTEL_SERVICE_NAME           = var.otel_service_name
    OTEL_TRACES_SAMPLER         = var.otel_traces_sampler
    OTEL_TRACES_SAMPLER_ARG     = var.otel_traces_sampler_arg
  }
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  # Writable /tmp for the JVM, since the root filesystem is read-only.
  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([
    {
      name      = local.container_name
      image     = local.image
      essential = true
      command   = var.container_args

      portMappings = [
        {
          name          = "http"
          containerPort = var.container_port
          protocol      = "tcp"
        }
      ]

      environment = concat([
        { name = "PORT", value = tostring(var.container_port) },
        { name = "HOST", value = "0.0.0.0" },
        { name = "NATS_URL", value = var.nats_url },
        { name = "NATS_TIMEOUT_SECONDS", value = tostring(var.nats_timeout_seconds) },
        { name = "MAX_BODY_BYTES", value = tostring(var.max_body_bytes) },
        { name = "SHUTDOWN_GRACE_SECONDS", value = tostring(var.shutdown_grace_seconds) },
        # keep-alive connections must outlive the ALB's, or it sends requests on connections the
        # gateway is closing (502)
        { name = "IDLE_TIMEOUT_SECONDS", value = tostring(var.alb_idle_timeout_seconds + 30) }
      ], [for name, value in local.otel_environment : { name = name, value = value } if value != ""])

      secrets = [for env_name, arn in var.nats_secret_arns : { name = env_name, valueFrom = arn }]

      stopTimeout            = local.stop_timeout_seconds
      readonlyRootFilesystem = true

      mountPoints = [
        {
          sourceVolume  = "tmp"
          containerPath = "/tmp"
          readOnly      = false
        }
      ]

      # Many concurrent SSE streams need file descriptors.
      ulimits = [
        {
          name      = "nofile"
          softLimit = 65536
          hardLimit = 65536
        }
      ]

      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.this.name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = local.container_name
        }
      }
    }
  ])
}

resource "aws_ecs_service" "this" {
  name             = var.name
  cluster          = data.aws_ecs_cluster.this.arn
  task_definition  = aws_ecs_task_definition.this.arn
  desired_count    = var.min_capacity
  launch_type      = "FARGATE"
  platform_version = "LATEST"
  propagate_tags   = "SERVICE"

  health_check_grace_period_seconds  = var.health_check_grace_period_seconds
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = var.assign_public_ip
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = local.container_name
    container_port   = var.container_port
  }

  # Autoscaling owns the task count after creation.
  lifecycle {
    ignore_changes = [desired_count]
  }

  depends_on = [aws_lb_listener.http, aws_lb_listener.https]
}
