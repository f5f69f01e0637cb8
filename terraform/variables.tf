# ---- where ---------------------------------------------------------------------

variable "aws_region" {
  description = "AWS region for every resource (also the CloudWatch Logs region of the task)."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name of the ECS service, task family, ALB and related resources."
  type        = string
  default     = "http-nats-gateway"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,27}$", var.name))
    error_message = "name must be lower-case letters, digits and dashes, at most 28 characters (ALB and target group names are limited to 32)."
  }
}

variable "ecs_cluster_name" {
  description = "Name of the existing ECS cluster the service runs in."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the ALB, the target group and the tasks."
  type        = string
}

variable "private_subnet_ids" {
  description = "Subnets of the Fargate tasks (private, with a route to NATS and to ECR/CloudWatch). Use at least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "Give at least two subnets (two availability zones)."
  }
}

variable "assign_public_ip" {
  description = "Give tasks a public IP (only for subnets without a NAT gateway)."
  type        = bool
  default     = false
}

variable "alb_subnet_ids" {
  description = "Subnets of the Application Load Balancer (public subnets for an internet-facing ALB), in at least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.alb_subnet_ids) >= 2
    error_message = "An ALB needs subnets in at least two availability zones."
  }
}

variable "alb_internal" {
  description = "Create an internal ALB instead of an internet-facing one."
  type        = bool
  default     = false
}

variable "alb_ingress_cidr_blocks" {
  description = "IPv4 CIDR blocks allowed to reach the ALB listeners."
  type        = list(string)

  validation {
    condition     = alltrue([for c in var.alb_ingress_cidr_blocks : can(cidrhost(c, 0))])
    error_message = "Every entry must be an IPv4 CIDR block such as 10.0.0.0/16."
  }
}

variable "certificate_arn" {
  description = "ACM certificate ARN. When set, the ALB serves HTTPS on 443 and redirects HTTP to it; when null, it serves plain HTTP on 80."
  type        = string
  default     = null
}

variable "alb_idle_timeout_seconds" {
  description = "ALB idle timeout. Must exceed the gateway's SSE keep-alive interval (15 s) or streams are cut between tokens."
  type        = number
  default     = 120

  validation {
    condition     = var.alb_idle_timeout_seconds > 15 && var.alb_idle_timeout_seconds <= 4000
    error_message = "alb_idle_timeout_seconds must be above 15 (the SSE keep-alive interval) and at most 4000."
  }
}

# ---- image ---------------------------------------------------------------------

variable "ecr_repository_name" {
  description = "Name of the ECR repository created for the gateway image."
  type        = string
  default     = "gaming-system/http-nats-gateway"
}

variable "ecr_image_tag_mutability" {
  description = "IMMUTABLE (recommended: deploy version tags) or MUTABLE (needed to re-push a tag such as latest)."
  type        = string
  default     = "IMMUTABLE"

  validation {
    condition     = contains(["IMMUTABLE", "MUTABLE"], var.ecr_image_tag_mutability)
    error_message = "ecr_image_tag_mutability must be IMMUTABLE or MUTABLE."
  }
}

variable "image_tag" {
  description = "Tag of the image in the created ECR repository to deploy (ignored when image is set)."
  type        = string
  default     = "1.0.0-SNAPSHOT"
}

variable "image" {
  description = "Full image reference to deploy instead of the created ECR repository's image_tag (null = use ECR)."
  type        = string
  default     = null
}

variable "container_args" {
  description = "Arguments of the image: [\"gateway\"], or [\"demo\"] / [\"services\"] for the reference services."
  type        = list(string)
  default     = ["gateway"]

  validation {
    condition     = length(var.container_args) == 1 && contains(["gateway", "demo", "services"], var.container_args[0])
    error_message = "container_args must be one of [\"gateway\"], [\"demo\"], [\"services\"]."
  }
}

# ---- gateway configuration (environment of the container) ------------------------

variable "container_port" {
  description = "Port the gateway listens on (PORT); application.yaml's server.port."
  type        = number
  default     = 8000
}

variable "nats_url" {
  description = "NATS_URL: NATS server URL, or a comma-separated list for a cluster."
  type        = string

  validation {
    condition     = alltrue([for u in split(",", var.nats_url) : can(regex("^(nats|tls|ws|wss)://", trimspace(u)))])
    error_message = "nats_url must be nats://, tls://, ws:// or wss:// URLs separated by commas."
  }
}

variable "nats_timeout_seconds" {
  description = "NATS_TIMEOUT_SECONDS: default request timeout of every route."
  type        = number
  default     = 30
}

variable "max_body_bytes" {
  description = "MAX_BODY_BYTES: largest accepted request body (larger gets 413)."
  type        = number
  default     = 1048576
}

variable "shutdown_grace_seconds" {
  description = "SHUTDOWN_GRACE_SECONDS: how long the gateway drains in-flight requests after SIGTERM. Also the target group's deregistration delay; the container stopTimeout is this plus a margin (Fargate allows at most 120 s)."
  type        = number
  default     = 30

  validation {
    condition     = var.shutdown_grace_seconds >= 1 && var.shutdown_grace_seconds <= 100
    error_message = "shutdown_grace_seconds must be between 1 and 100 (stopTimeout = grace + 15 must stay within Fargate's 120 s)."
  }
}

variable "nats_secret_arns" {
  description = "NATS credentials from AWS Secrets Manager: environment variable name => secret ARN (optionally with :json-key:: suffix). Keys: NATS_TOKEN, NATS_USER, NATS_PASSWORD."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.nats_secret_arns) : contains(["NATS_TOKEN", "NATS_USER", "NATS_PASSWORD"], k)])
    error_message = "nats_secret_arns keys must be NATS_TOKEN, NATS_USER or NATS_PASSWORD."
  }

  validation {
    condition     = alltrue([for v in values(var.nats_secret_arns) : can(regex("^arn:[a-z-]+:secretsmanager:", v))])
    error_message = "nats_secret_arns values must be Secrets Manager ARNs."
  }
}

# ---- tracing (OpenTelemetry over OTLP; README, "Tracing") --------------------------
# Each is passed to the task only when not empty; tracing is on when the endpoint is set.

variable "otel_exporter_otlp_endpoint" {
  description = "OTEL_EXPORTER_OTLP_ENDPOINT: base URL of an OpenTelemetry Collector's OTLP receiver, e.g. http://otel-collector.internal:4318 (\"\" = tracing off)."
  type        = string
  default     = ""

  validation {
    condition     = var.otel_exporter_otlp_endpoint == "" || can(regex("^https?://[^/\\s]+", var.otel_exporter_otlp_endpoint))
    error_message = "otel_exporter_otlp_endpoint must be empty (tracing off) or an http:// or https:// URL."
  }
}

variable "otel_exporter_otlp_protocol" {
  description = "OTEL_EXPORTER_OTLP_PROTOCOL: http/protobuf (the gateway's default, collector port 4318) or grpc (port 4317) (\"\" = default)."
  type        = string
  default     = ""

  validation {
    condition     = contains(["", "http/protobuf", "grpc"], var.otel_exporter_otlp_protocol)
    error_message = "otel_exporter_otlp_protocol must be empty, http/protobuf or grpc."
  }
}

variable "otel_service_name" {
  description = "OTEL_SERVICE_NAME: service.name of the spans (\"\" = http-nats-gateway)."
  type        = string
  default     = ""
}

variable "otel_traces_sampler" {
  description = "OTEL_TRACES_SAMPLER: the OpenTelemetry SDK's sampler (\"\" = parentbased_always_on)."
  type        = string
  default     = ""

  validation {
    condition     = contains(["", "always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"], var.otel_traces_sampler)
    error_message = "otel_traces_sampler must be empty or one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio."
  }
}

variable "otel_traces_sampler_arg" {
  description = "OTEL_TRACES_SAMPLER_ARG: the ratio of traces recorded by traceidratio and parentbased_traceidratio, from 0 to 1, e.g. 0.1 (\"\" = 1.0)."
  type        = string
  default     = ""

  validation {
    condition     = var.otel_traces_sampler_arg == "" || can(regex("^(0|1|0?\\.[0-9]+|1\\.0+)$", var.otel_traces_sampler_arg))
    error_message = "otel_traces_sampler_arg must be empty or a ratio from 0 to 1 such as 0.1."
  }
}

# ---- size and scaling -------------------------------------------------------------

variable "cpu" {
  description = "Fargate task CPU units (1024 = 1 vCPU)."
  type        = number
  default     = 1024

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be a Fargate CPU size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "memory" {
  description = "Fargate task memory in MiB (the JVM heap is 75% of it, -XX:MaxRAMPercentage in the image)."
  type        = number
  default     = 2048

  validation {
    condition     = var.memory >= 512 && var.memory <= 122880
    error_message = "memory must be between 512 and 122880 MiB and valid for the chosen cpu."
  }
}

variable "min_capacity" {
  description = "Minimum (and initial) number of tasks."
  type        = number
  default     = 2

  validation {
    condition     = var.min_capacity >= 1
    error_message = "min_capacity must be at least 1."
  }
}

variable "max_capacity" {
  description = "Maximum number of tasks for autoscaling."
  type        = number
  default     = 10

  validation {
    condition     = var.max_capacity >= 1
    error_message = "max_capacity must be at least 1."
  }
}

variable "cpu_target_percent" {
  description = "Target average CPU utilization of the service for target-tracking autoscaling."
  type        = number
  default     = 60

  validation {
    condition     = var.cpu_target_percent > 0 && var.cpu_target_percent <= 100
    error_message = "cpu_target_percent must be in (0, 100]."
  }
}

variable "requests_per_target_per_minute" {
  description = "Target ALB requests per target per minute (ALBRequestCountPerTarget) for autoscaling."
  type        = number
  default     = 60000

  validation {
    condition     = var.requests_per_target_per_minute > 0
    error_message = "requests_per_target_per_minute must be positive."
  }
}

variable "health_check_grace_period_seconds" {
  description = "Seconds ECS ignores failing ALB health checks of a new task (JVM start-up and first NATS connection)."
  type        = number
  default     = 60
}

variable "log_retention_days" {
  description = "Retention of the CloudWatch log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts."
  }
}

# ---- migration (see README, Deployment) -------------------------------------------

variable "legacy_target_group_arn" {
  description = "Target group of the legacy HTTP services, attached to this ALB for weighted cutover (null = all traffic to the gateway)."
  type        = string
  default     = null
}

variable "gateway_traffic_weight" {
  description = "Percent of ALB traffic sent to the gateway when legacy_target_group_arn is set (0 = shadow phase, 10, 50, 100 = cutover)."
  type        = number
  default     = 100

  validation {
    condition     = var.gateway_traffic_weight >= 0 && var.gateway_traffic_weight <= 100
    error_message = "gateway_traffic_weight must be between 0 and 100."
  }
}

variable "shadow_header_name" {
  description = "Requests carrying this header with value 1 always reach the gateway, whatever gateway_traffic_weight says (for shadow traffic and smoke tests)."
  type        = string
  default     = "X-Gateway-Shadow"
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}
