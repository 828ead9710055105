import {
  ServerReflection,
  type ServerReflectionRequest,
  type ServerReflectionResponse,
  ServerReflectionResponseSchema,
} from "@bourse/proto/grpc/reflection/v1/reflection_pb";
import {
  create,
  createRegistry,
  type DescFile,
  type DescService,
  type MessageInitShape,
  toBinary,
} from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, type ConnectRouter } from "@connectrpc/connect";

type MessageResponse = MessageInitShape<typeof ServerReflectionResponseSchema>["messageResponse"];

/** Every file `file` depends on, transitively, followed by `file` itself. */
function withDependencies(file: DescFile, seen = new Set<string>()): DescFile[] {
  if (seen.has(file.name)) return [];
  seen.add(file.name);
  return [...file.dependencies.flatMap((dependency) => withDependencies(dependency, seen)), file];
}

function notFound(what: string): MessageResponse {
  return { case: "errorResponse", value: { errorCode: Code.NotFound, errorMessage: `${what} not found` } };
}

function fileResponse(file: DescFile | undefined, what: string): MessageResponse {
  if (!file) return notFound(what);
  const fileDescriptorProto = withDependencies(file).map((each) =>
    toBinary(FileDescriptorProtoSchema, each.proto),
  );
  return { case: "fileDescriptorResponse", value: { fileDescriptorProto } };
}

/** Answers reflection requests about a fixed set of services and the files they are built from. */
class ReflectionIndex {
  private readonly files = new Map<string, DescFile>();
  private readonly registry;

  constructor(private readonly services: readonly DescService[]) {
    for (const file of services.flatMap((service) => withDependencies(service.file))) {
      this.files.set(file.name, file);
    }
    this.registry = createRegistry(...this.files.values());
  }

  answer(request: ServerReflectionRequest["messageRequest"]): MessageResponse {
    switch (request.case) {
      case "listServices":
        return {
          case: "listServicesResponse",
          value: { service: this.services.map((service) => ({ name: service.typeName })) },
        };
      case "fileByFilename":
        return fileResponse(this.files.get(request.value), `file ${request.value}`);
      case "fileContainingSymbol": {
        const symbol = request.value;
        const parent = symbol.slice(0, Math.max(0, symbol.lastIndexOf(".")));
        const desc = this.registry.get(symbol) ?? this.registry.getService(parent);
        return fileResponse(desc?.file, `symbol ${symbol}`);
      }
      case "fileContainingExtension": {
        const extendee = this.registry.getMessage(request.value.containingType);
        const extension = extendee && this.registry.getExtensionFor(extendee, request.value.extensionNumber);
        return fileResponse(extension?.file, `extension ${request.value.extensionNumber}`);
      }
      case "allExtensionNumbersOfType": {
        if (!this.registry.getMessage(request.value)) return notFound(`type ${request.value}`);
        const extensionNumber = [...this.registry].flatMap((desc) =>
          desc.kind === "extension" && desc.extendee.typeName === request.value ? [desc.number] : [],
        );
        return {
          case: "allExtensionNumbersResponse",
          value: { baseTypeName: request.value, extensionNumber },
        };
      }
      default:
        return {
          case: "errorResponse",
          value: { errorCode: Code.InvalidArgument, errorMessage: "empty reflection request" },
        };
    }
  }
}

/**
 * gRPC server reflection v1 over the services this server exposes, so that `buf curl` and
 * grpcurl can call them without a local schema. Files are answered with their transitive
 * dependencies, which the protocol allows and which saves clients a round trip per import.
 * `services` is read on first use, once routing is complete.
 */
export function registerReflectionService(
  router: ConnectRouter,
  services: () => readonly DescService[],
): void {
  let index: ReflectionIndex | undefined;
  router.service(ServerReflection, {
    async *serverReflectionInfo(requests: AsyncIterable<ServerReflectionRequest>) {
      index ??= new ReflectionIndex(services());
      for await (const request of requests) {
        const response: ServerReflectionResponse = create(ServerReflectionResponseSchema, {
          validHost: request.host,
          originalRequest: request,
          messageResponse: index.answer(request.messageRequest),
        });
        yield response;
      }
    },
  });
}
