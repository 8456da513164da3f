import org.bytedeco.javacpp.Loader;

/**
 * Run by build/images.sh at image build time with -Dorg.bytedeco.javacpp.cachedir=<a work directory>: JavaCPP
 * unpacks the natives of every class named on the command line there, exactly as the service would on its first use.
 * images.sh puts those libraries in one read-only directory of the image (/opt/javacpp/lib), which the service loads
 * them from (-Dorg.bytedeco.javacpp.pathsFirst=true, -Djava.library.path): it writes nothing, so it runs with a
 * read-only root file system and no 85 MB unpack on every start.
 */
public class JavacppPreload {
    public static void main(String[] args) throws ClassNotFoundException {
        for (String name : args) {
            String path = Loader.load(Class.forName(name));
            System.out.println("javacpp-preload: " + name + " -> " + path);
        }
    }
}
